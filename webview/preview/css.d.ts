// esbuild bundles imported CSS into dist/webview/<entry>.css; TypeScript only needs to know such imports exist.
declare module '*.css';
