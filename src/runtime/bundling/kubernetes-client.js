// Bundling entry for `@kubernetes/client-node` (see the `alias` in serverless.yml's custom.esbuild):
// only what src/adapters/k8s imports. The package index re-exports watch, exec, attach, cp,
// port-forward, informers, metrics and more, and declares no `sideEffects`, so esbuild keeps all
// of them (ws, tar-fs, ...) in every bundle that reaches Kubernetes. Importing a name not listed
// here fails the build ("No matching export"): add it here then.
export { KubeConfig } from '../../../node_modules/@kubernetes/client-node/dist/config.js';
export { AppsV1Api, ApiException, CustomObjectsApi } from '../../../node_modules/@kubernetes/client-node/dist/gen/index.js';
