export * from './obligation-ledger';
export * from './obligation-ledger.migration';
export * from './obligation-history';
