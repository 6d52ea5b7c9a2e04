export { decodedCodings, downstreamHeaders, upstreamHeaders } from './headers.ts'
export { createProxy, type ProxyCall, type ProxyDeps, type ProxyOptions } from './proxy-request.ts'
export { proxiedPath, upstreamUrl } from './target.ts'
