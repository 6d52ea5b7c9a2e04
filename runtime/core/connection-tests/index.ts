export { createConnectionTests, type ConnectionTests } from './connection-tests.ts'
export { runTest } from './run-test.ts'
export { errorDiagnosis, statusDiagnosis, type Problem } from './diagnosis.ts'
