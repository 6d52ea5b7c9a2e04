export { jwt } from './auth-type.ts'
export { signJwt } from './sign.ts'
