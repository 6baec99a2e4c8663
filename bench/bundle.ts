import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { parse } from 'yaml';

/*
 * Bundles a function the way `serverless package` does: serverless-esbuild takes the
 * `custom.esbuild` block of serverless.yml, drops its own keys, turns `exclude` into esbuild
 * `external`, maps `outputFileExtension` to `outExtension`, and hands the rest to esbuild with
 * the handler file as the entry point. Read from serverless.yml, so the benchmark measures what ships.
 */

/** serverless-esbuild's own options (dist/bundle.js), never passed to esbuild. */
const PLUGIN_ONLY = ['concurrency', 'zipConcurrency', 'exclude', 'nativeZip', 'packager', 'packagePath', 'watch', 'keepOutputDirectory', 'packagerOptions', 'installExtraArgs', 'outputFileExtension', 'outputBuildFolder', 'outputWorkFolder', 'nodeExternals', 'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'disposeContext'];

export function serverlessEsbuildOptions(file = 'serverless.yml'): BuildOptions {
  const yml = parse(readFileSync(file, 'utf8'), { logLevel: 'error' }) as { custom: { esbuild: Record<string, unknown> } };
  const custom = yml.custom.esbuild;
  if (custom.plugins) throw new Error('custom.esbuild.plugins is not supported by the benchmark bundler yet');
  const options = Object.fromEntries(Object.entries(custom).filter(([key]) => !PLUGIN_ONLY.includes(key))) as BuildOptions;
  const exclude = (custom.exclude as string[] | undefined) ?? ['aws-sdk'];
  const extension = (custom.outputFileExtension as string | undefined) ?? '.js';
  return {
    target: 'node18',
    platform: 'node',
    ...options,
    bundle: true,
    external: [...((custom.external as string[] | undefined) ?? []), ...(exclude.includes('*') ? [] : exclude)],
    ...(extension !== '.js' ? { outExtension: { '.js': extension } } : {}),
  };
}

/** The functions of serverless.yml: name → handler source file. */
export function serverlessFunctions(file = 'serverless.yml'): Record<string, string> {
  const yml = parse(readFileSync(file, 'utf8'), { logLevel: 'error' }) as { functions: Record<string, { handler: string }> };
  return Object.fromEntries(Object.entries(yml.functions).map(([name, fn]) => [name, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`]));
}

export interface Bundle {
  file: string;
  bytes: number;
  mapFile?: string;
  /** The AWS SDK packages the bundle imports at run time (external). */
  sdkImports: string[];
  metafile: Metafile;
}

/** Bundles `entry` into `outDir` as serverless-esbuild would. */
export async function bundleLikeServerless(entry: string, outDir: string, options = serverlessEsbuildOptions()): Promise<Bundle> {
  const result = await build({ ...options, entryPoints: [entry], outdir: outDir, metafile: true, logLevel: 'error' });
  const [file, output] = Object.entries(result.metafile.outputs).find(([name]) => !name.endsWith('.map'))!;
  const map = Object.keys(result.metafile.outputs).find((name) => name.endsWith('.map'));
  return {
    file: join(process.cwd(), file),
    bytes: output.bytes,
    ...(map ? { mapFile: join(process.cwd(), map) } : {}),
    sdkImports: [...new Set(output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort(),
    metafile: result.metafile,
  };
}
