import type { ServerAdapterPlugin } from './types.js';
export declare function useContentEncoding<TServerContext>(): ServerAdapterPlugin<TServerContext>;
