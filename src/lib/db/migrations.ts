import { parseMigrationFiles, type Migration } from './migrate.ts';

/** The numbered SQL files in ./migrations, bundled into the server build as text. */
export const commentMigrations: Migration[] = parseMigrationFiles(
  import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }),
);
