import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLikeServerless, serverlessEsbuildOptions, serverlessFunctions } from './bundle.js';
import { median, round } from './support.js';

/*
 * Benchmark 5: for each function, its bundle (built like `serverless package` builds it) and its
 * module initialisation time: a fresh `node` process imports the bundle, timed with
 * performance.now() around the import, median of `runs`. Next to it, a baseline handler bundled
 * the same way that imports the same AWS SDK packages and does nothing else: the ratio is the
 * cost of our own code and libraries. Processes run as Lambda runs them: NODE_OPTIONS=--enable-source-maps.
 */

export interface ColdStart {
  function: string;
  bundleBytes: number;
  gzipBytes: number;
  mapBytes: number;
  initMs: number;
  baselineInitMs: number;
  ratio: number;
  sdkImports: string[];
}

const MEASURE = `const t0 = performance.now();
await import(process.argv[2]);
process.stdout.write(String(performance.now() - t0));
`;

function initMs(measure: string, bundle: string): number {
  const out = execFileSync(process.execPath, ['--enable-source-maps', measure, bundle], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_SERVICE_NAME: 'lifeboat', LIFEBOAT_CONFIG_FILE: 'lifeboat.config.yaml' },
    encoding: 'utf8',
  });
  return Number(out);
}

export async function coldStart(options: { runs: number; functions?: string[] }): Promise<ColdStart[]> {
  // Inside node_modules so that the bundles' external @aws-sdk imports resolve as they do in Lambda.
  const root = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'lifeboat-bench-'));
  try {
    const esbuild = serverlessEsbuildOptions();
    const all = serverlessFunctions();
    const names = options.functions ?? Object.keys(all);
    const measure = join(dir, 'measure.mjs');
    writeFileSync(measure, MEASURE);
    const built = await Promise.all(
      names.map(async (name) => {
        const bundle = await bundleLikeServerless(all[name]!, join(dir, name), esbuild);
        const baselineEntry = join(dir, `${name}-baseline-entry.mjs`);
        writeFileSync(
          baselineEntry,
          `${bundle.sdkImports.map((pkg, i) => `import * as m${i} from '${pkg}';`).join('\n')}\nexport const handler = async () => [${bundle.sdkImports.map((_, i) => `m${i}`).join(', ')}].length;\n`,
        );
        const baseline = await bundleLikeServerless(baselineEntry, join(dir, `${name}-baseline`), esbuild);
        return { name, bundle, baseline };
      }),
    );
    const results: ColdStart[] = [];
    for (const { name, bundle, baseline } of built) {
      const fn: number[] = [];
      const base: number[] = [];
      // Interleaved, so drift on a busy machine hits both alike.
      for (let run = 0; run < options.runs; run += 1) {
        base.push(initMs(measure, baseline.file));
        fn.push(initMs(measure, bundle.file));
      }
      const initMedian = median(fn);
      const baselineMedian = median(base);
      results.push({
        function: name,
        bundleBytes: bundle.bytes,
        gzipBytes: gzipSync(readFileSync(bundle.file)).length,
        mapBytes: bundle.mapFile ? statSync(bundle.mapFile).size : 0,
        initMs: round(initMedian, 1),
        baselineInitMs: round(baselineMedian, 1),
        ratio: round(initMedian / baselineMedian, 2),
        sdkImports: bundle.sdkImports,
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
