// Prints .env.example from the configuration's own declaration (server/platform/config.ts).
import { envExample } from '../server/platform/config.ts';

process.stdout.write(envExample());
