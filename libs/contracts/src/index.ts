import 'reflect-metadata';
export * from './topics';
export * from './envelope';
export * from './event-registry';
export * from './events';
export * from './legal-date';
export * from './validate-event';
export * from './json-schema';
export * from './event-id';
