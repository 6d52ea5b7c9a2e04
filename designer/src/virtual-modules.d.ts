/** The connector schema's check, compiled at build time (`designer/build/precompiled-validators.ts`). */
declare module 'virtual:connector-schema-check' {
  const validate: import('../../schemas/validate/messages.ts').SchemaCheck
  export default validate
}
