import { createServer, type Server } from 'node:http';
import { handleHealth, type HealthDeps } from './http/health.js';
import type { Yoga } from './http/yoga.js';

export interface ServerDeps {
  health: HealthDeps;
  yoga: Yoga;
}

/** node:http server: health checks answered directly, everything else through Yoga. */
export function createHttpServer({ health, yoga }: ServerDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path.startsWith('/health') && handleHealth(req, res, path, health)) return;
    void yoga(req, res);
  });
}
