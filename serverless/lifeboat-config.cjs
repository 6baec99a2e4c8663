// The configuration as the deploy unit sees it, at package time: which regions take part, which is
// the home region, which region this stack is being packaged for. Validating the file is the CLI's
// job (`lifeboat validate`); this reads only the fields the template needs.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { parse } = require('yaml');

const CONFIG_FILE = resolve(__dirname, '..', 'lifeboat.config.yaml');

/** lifeboat.config.yaml, parsed (the file every function bundle carries). */
function loadConfig(file = CONFIG_FILE) {
  return parse(readFileSync(file, 'utf8')) || {};
}

const appsOf = (config) => config.apps || [];

/** Every region the configuration names, in order of first appearance (apps, then priority). */
function participatingRegions(config) {
  return [...new Set(appsOf(config).flatMap((app) => (app.regions || []).map((region) => region.name)))];
}

/**
 * The home region: the first region of the configuration. Its stack creates the DynamoDB global
 * tables (one CloudFormation resource per table, with a replica in every participating region);
 * the other stacks use their local replica by name. Deploy it first.
 */
function homeRegion(config) {
  return participatingRegions(config)[0];
}

/** The apps that run in `region` (the only ones a stack there may act for). */
function appsIn(config, region) {
  return appsOf(config).filter((app) => (app.regions || []).some((r) => r.name === region));
}

/**
 * What `serverless package|deploy` is building: region and stage as the CLI resolves them
 * (`--region`, then provider.region, then us-east-1; `--stage`, then provider.stage, then dev).
 */
async function stackContext({ options = {}, resolveConfigurationProperty } = {}) {
  const property = async (path) => (resolveConfigurationProperty ? resolveConfigurationProperty(path) : undefined);
  const region = options.region || (await property(['provider', 'region'])) || 'us-east-1';
  const stage = options.stage || (await property(['provider', 'stage'])) || 'dev';
  const service = (await property(['service'])) || 'lifeboat';
  const config = loadConfig();
  return { region, stage, service, prefix: `${service}-${stage}`, config, home: homeRegion(config), isHome: region === homeRegion(config) };
}

/** PascalCase of a region name, for logical ids: eu-west-1 → EuWest1. */
const regionId = (region) => region.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

module.exports = { CONFIG_FILE, loadConfig, participatingRegions, homeRegion, appsIn, stackContext, regionId };
