// ESLint flat config: typescript-eslint's recommended rules without type information (fast enough to run
// before every test run) and two architecture rules that fail the build.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** The repository-relative, slash-separated path an import specifier names, or undefined for a package. */
function importedPath(specifier, fromFile) {
  if (specifier.startsWith('.')) return toRepoPath(resolve(dirname(fromFile), specifier));
  // tsconfig's baseUrl is the repository root, so `apps/plo/src/x` resolves too.
  if (/^(apps|libs|test|bench|scripts)\//.test(specifier)) return toRepoPath(resolve(ROOT, specifier));
  return undefined;
}

function toRepoPath(path) {
  return relative(ROOT, path).split(sep).join('/');
}

function appOf(repoPath) {
  return /^apps\/([^/]+)\//.exec(`${repoPath}/`)?.[1];
}

/** Calls `check(specifierNode)` for every way a module can be named: import/export from, import(), require(), import x = require(), import('x').T. */
function eachModuleSpecifier(check) {
  const literal = (node) => node && node.type === 'Literal' && typeof node.value === 'string' && check(node);
  return {
    ImportDeclaration: (node) => literal(node.source),
    ExportNamedDeclaration: (node) => literal(node.source),
    ExportAllDeclaration: (node) => literal(node.source),
    ImportExpression: (node) => literal(node.source),
    TSExternalModuleReference: (node) => literal(node.expression),
    TSImportType: (node) => literal(node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
    CallExpression: (node) => node.callee.type === 'Identifier' && node.callee.name === 'require' && literal(node.arguments[0]),
  };
}

const architecture = {
  rules: {
    'no-cross-app-imports': {
      meta: {
        type: 'problem',
        docs: { description: 'A service never imports another service: they share only libs/ and talk through Kafka events.' },
        messages: {
          crossApp: "apps/{{from}} must not import from apps/{{to}} ('{{specifier}}'): share code through libs/, state through events.",
        },
        schema: [],
      },
      create(context) {
        const from = appOf(toRepoPath(context.filename));
        if (!from) return {};
        return eachModuleSpecifier((node) => {
          const target = importedPath(node.value, context.filename);
          const to = target && appOf(target);
          if (to && to !== from) context.report({ node, messageId: 'crossApp', data: { from, to, specifier: node.value } });
        });
      },
    },
    'kafkajs-only-in-messaging': {
      meta: {
        type: 'problem',
        docs: { description: 'Only libs/messaging speaks to Kafka, so outbox, inbox, retries and dead letters stay in one place.' },
        messages: {
          kafkajs: "'{{specifier}}' may be imported only in libs/messaging (and by tests and benchmarks): use @plo/messaging instead.",
        },
        schema: [],
      },
      create(context) {
        return eachModuleSpecifier((node) => {
          if (node.value === 'kafkajs' || node.value.startsWith('kafkajs/')) {
            context.report({ node, messageId: 'kafkajs', data: { specifier: node.value } });
          }
        });
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-nest/',
      '.local/',
      'coverage/',
      'bench/results/',
      '.dist-build.*/',
      '.dist-old.*/',
      'libs/api-client/src/generated/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { architecture },
    rules: {
      'architecture/no-cross-app-imports': 'error',
      'architecture/kafkajs-only-in-messaging': 'error',
      // A leading underscore is how this code says "deliberately unused": a parameter kept for its
      // position, or a property destructured away to leave the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Decorator metadata and TypeORM's own signatures (MixedList<Function>) speak of classes as `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // class-transformer keeps its metadata storage out of its exports map; require() is the way in.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^class-transformer/cjs/storage$'] }],
    },
  },
  {
    // Tests and benchmarks poke at untyped JSON responses and private internals; `any` there is a shrug, not a design.
    files: ['test/**', 'bench/**', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The broker's own client is the subject of these: messaging wraps it; tests and benchmarks drive it directly.
    files: ['libs/messaging/**', 'libs/testing/**', 'test/**', 'bench/**'],
    rules: { 'architecture/kafkajs-only-in-messaging': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
