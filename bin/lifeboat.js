#!/usr/bin/env node
// The `lifeboat` command. It runs the TypeScript sources directly through tsx's loader, so
// `npx lifeboat …` works right after `npm install`, with no build step to remember.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The handlers log structured JSON for CloudWatch; on a terminal that is noise unless asked for.
// Decided here, before the logger module loads; `--verbose` is also declared to commander for --help.
if (!process.argv.includes('--verbose')) process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
