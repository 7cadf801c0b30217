export * from './principal';
export * from './access.decorators';
export * from './token-verifier';
export * from './rate-limiter';
export * from './auth.guard';
export * from './audit';
export * from './audit.migration';
export * from './access.module';
