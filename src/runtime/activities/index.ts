export * from './types';
export { HTTP_METHODS } from './validate';
