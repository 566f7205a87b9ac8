// placeholder: filled in by its issue
export {};
export * from './types';
