/** The contract's types (bodies, answers, `ErrorCode`), generated from `schemas/api.schema.json`. */
export type * from '../schemas/types/api.ts'
export { type ClientOptions, createCall } from './call.ts'
export { type Client, createClient, type ProxyInit } from './client.ts'
export { type ErrorDetails, SwitchboardApiError } from './error.ts'
export { type Args, type CallOptions, type ResponseOf, type Route, urlOf } from './routes.ts'
