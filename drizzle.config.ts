import { defineConfig } from 'drizzle-kit';

// drizzle-kit generate only diffs src/db/schema.ts against drizzle/; it needs no database.
// db:studio connects to DATABASE_URL, or to the embedded database when it is unset.
const url = process.env.DATABASE_URL;
const common = { dialect: 'postgresql', schema: './src/db/schema.ts', out: './drizzle' } as const;

export default url
  ? defineConfig({ ...common, dbCredentials: { url } })
  : defineConfig({
      ...common,
      driver: 'pglite',
      dbCredentials: { url: process.env.PGLITE_DATA_DIR ?? './.data/pglite' },
    });
