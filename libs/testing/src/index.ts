export * from './infrastructure';
export * from './service-process';
export * from './test-stack';
