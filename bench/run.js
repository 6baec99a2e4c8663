#!/usr/bin/env node
// `npm run bench`: runs bench/main.ts through tsx's loader, as bin/lifeboat.js runs the CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The handlers' structured logs would swamp the terminal (and time writing 20,000 lines to it).
// Decided here, before the logger module loads.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
