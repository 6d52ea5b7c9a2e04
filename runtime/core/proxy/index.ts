export { createProxy, type ProxyCall, type ProxyDeps, type ProxyOptions } from './proxy-request.ts'
export { upstreamHeaders, downstreamHeaders, decodedCodings } from './headers.ts'
export { proxiedPath, upstreamUrl } from './target.ts'
