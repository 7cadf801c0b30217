/** The validated environment, for providers that read alerting settings. */
export const ALERTING_ENV = Symbol('ALERTING_ENV');
