// Bundling stand-in for `whatwg-url` (see the `alias` in serverless.yml's custom.esbuild).
// Its only importer, node-fetch 2 (under @kubernetes/client-node), uses it as a fallback:
// `Url.URL || whatwgUrl.URL`, and Node's own URL always exists, so the ~290 KB of tr46 tables
// it drags in never run. The same names, from Node, in case anything ever does reach for them.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };
