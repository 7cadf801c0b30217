// Two projects: `unit` (pure logic, no infrastructure) and `integration` (real Postgres and Kafka,
// services started as real processes). @swc/jest compiles both our code and the ESM packages that
// Nest 12 and its Fastify middleware engine (path-to-regexp 9) load, which Jest cannot load natively
// on Node 20.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@plo/(api-client|contracts|messaging|obligations|platform|timescales|testing)$': '<rootDir>/libs/$1/src',
  '^@plo/(api-client|contracts|messaging|obligations|platform|timescales|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@fastify/middie|path-to-regexp|ical\\.js|jose|openapi-fetch)/)'],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
