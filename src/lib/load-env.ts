/**
 * Imported first by the command-line tools (`import '../src/lib/load-env.ts'`): ES modules run in
 * import order, so `.env` is read before any other module looks at `process.env`.
 */
import { loadEnvFile } from './env-file.ts';

loadEnvFile();
