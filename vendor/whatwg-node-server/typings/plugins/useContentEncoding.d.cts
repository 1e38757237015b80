import type { ServerAdapterPlugin } from './types.cjs';
export declare function useContentEncoding<TServerContext>(): ServerAdapterPlugin<TServerContext>;
