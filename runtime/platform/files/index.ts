export { FileProblem, parseJson, readJsonFile, readTextFile } from './text-file.ts'
