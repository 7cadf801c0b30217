export * from './event-types';
export * from './legal-status';
export * from './cases.events';
export * from './obligations.events';
export * from './proceedings.events';
export * from './alerts.events';
export * from './assessments.events';
