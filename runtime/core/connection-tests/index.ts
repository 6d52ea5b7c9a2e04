export { type ConnectionTests, createConnectionTests } from './connection-tests.ts'
export { errorDiagnosis, type Problem, statusDiagnosis } from './diagnosis.ts'
export { runTest } from './run-test.ts'
