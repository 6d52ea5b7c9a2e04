export { session } from './auth-type.ts'
export { logIn } from './login.ts'
export { endSession } from './logout.ts'
