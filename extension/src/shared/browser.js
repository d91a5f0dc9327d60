// The extension API: Firefox's promise-based `browser`, else Chrome's `chrome`.
export const browserApi = globalThis.browser ?? globalThis.chrome;
