/**
 * Migrates ONE template database per driver project and run, so that each test file
 * clones it (a copied PGlite folder, `create database … template …` on a server) instead of
 * starting an empty database and applying every migration itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { adminQuery, serverDatabaseUrl, type DatabaseTemplate } from '../helpers/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: DatabaseTemplate;
  }
}

async function migrate(env: Record<string, string>): Promise<void> {
  const database = await openDatabase(loadConfig({ NODE_ENV: 'test', ...env }).database);
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.name === 'pglite') {
    const root = await mkdtemp(join(tmpdir(), 'acq-template-'));
    const pgliteDir = join(root, 'data');
    await migrate({ PGLITE_DATA_DIR: pgliteDir });
    project.provide('databaseTemplate', { pgliteDir });
    return () => rm(root, { recursive: true, force: true });
  }
  const name = `acq_template_${project.name}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  // Closed before any file clones it: a template must have no open connection.
  await migrate({ DATABASE_DRIVER: 'pg', DATABASE_URL: serverDatabaseUrl(name) });
  project.provide('databaseTemplate', { serverDatabase: name });
  return () => adminQuery(`drop database if exists ${name} with (force)`);
}
