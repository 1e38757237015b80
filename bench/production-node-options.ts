import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { projectRoot } from './processes.js';

/**
 * NODE_OPTIONS as the production image sets it (the Dockerfile's last stage), so the
 * benchmark runs the service under the same V8 settings as production, from one source.
 */
export function productionNodeOptions(): string | undefined {
  const dockerfile = DockerfileParser.parse(readFileSync(`${projectRoot}Dockerfile`, 'utf8'));
  const lastStageLine = dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0;
  let options: string | undefined;
  for (const env of dockerfile.getENVs()) {
    if (env.getRange().start.line < lastStageLine) continue;
    for (const property of env.getProperties()) {
      if (property.getName() === 'NODE_OPTIONS') options = property.getValue() ?? undefined;
    }
  }
  return options;
}
