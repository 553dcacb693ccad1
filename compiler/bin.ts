/** The executable entry point of `schemac`. */
import { main } from './cli.ts';

await main();
