#!/usr/bin/env node
// Packages the service offline, one CloudFormation template per region, into .serverless/<region>:
//   npm run package                          the home region (the first of lifeboat.config.yaml)
//   npm run package -- --region us-west-2    one region
//   npm run package:all                      every region the configuration names, one after another
// Each run replaces .serverless (serverless empties it when it starts), keeping the regions it built.
// Options: --stage NAME (default dev), --out DIR (default .serverless). Needs no AWS account: the
// credentials are dummies, telemetry and notifications are off.
const { spawnSync } = require('node:child_process');
const { cpSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');
const { homeRegion, loadConfig, participatingRegions } = require('./lifeboat-config.cjs');

function parseArgs(argv) {
  const args = { all: false, regions: [], stage: 'dev', out: '.serverless' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--all') args.all = true;
    else if (arg === '--region' || arg === '-r') args.regions.push(value());
    else if (arg === '--stage' || arg === '-s') args.stage = value();
    else if (arg === '--out') args.out = value();
    else throw new Error(`unknown option ${arg} (use --region R, --all, --stage S, --out DIR)`);
  }
  return args;
}

/**
 * Runs `serverless package` for one region into `<out>/<region>`; returns where and how long it took.
 * It packages into a scratch directory first: serverless copies its `.serverless` working directory
 * into the target, which must therefore not be inside it.
 */
function packageRegion({ region, stage, out, cwd = resolve(__dirname, '..'), env = process.env, stdio = 'inherit' }) {
  const bin = join(dirname(require.resolve('serverless/package.json', { paths: [cwd] })), 'bin', 'serverless.js');
  const dir = resolve(cwd, out, region);
  const scratch = mkdtempSync(join(tmpdir(), `lifeboat-package-${region}-`));
  const started = Date.now();
  const result = spawnSync(process.execPath, [bin, 'package', '--stage', stage, '--region', region, '--package', scratch], {
    cwd,
    stdio,
    env: { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: 'offline', AWS_SECRET_ACCESS_KEY: 'offline', AWS_SESSION_TOKEN: '' },
  });
  try {
    if (result.status !== 0) {
      const output = stdio === 'pipe' ? `\n${result.stdout}${result.stderr}` : '';
      throw new Error(`serverless package --region ${region} failed (exit ${result.status})${output}`);
    }
    rmSync(dir, { recursive: true, force: true });
    cpSync(scratch, dir, { recursive: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { dir, seconds: (Date.now() - started) / 1000 };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const known = participatingRegions(config);
  const regions = args.all ? known : args.regions.length ? args.regions : [homeRegion(config)];
  const unknown = regions.filter((region) => !known.includes(region));
  if (unknown.length) throw new Error(`lifeboat.config.yaml names no app in ${unknown.join(', ')} (regions: ${known.join(', ')})`);
  // `serverless package` empties the service's .serverless directory each time it starts, so every
  // region is packaged into a staging directory and moved into place when all are done.
  const staging = mkdtempSync(join(tmpdir(), 'lifeboat-package-staging-'));
  try {
    const done = regions.map((region) => ({ region, ...packageRegion({ region, stage: args.stage, out: staging }) }));
    for (const { region, dir, seconds } of done) {
      const target = resolve(__dirname, '..', args.out, region);
      rmSync(target, { recursive: true, force: true });
      cpSync(dir, target, { recursive: true });
      console.log(`packaged ${region} (stage ${args.stage}) into ${target} in ${seconds.toFixed(1)} s`);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`package: ${error.message}`);
    process.exit(1);
  }
}

module.exports = { packageRegion, parseArgs };
