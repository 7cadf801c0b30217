export * from './kafka-client';
export * from './outbox';
export * from './inbox';
export * from './inbox-server';
export * from './dead-letters';
export * from './messaging.module';
export * from './messaging.migration';
