// The API key of the receiver bench, in a module of its own: the server process's module starts
// servers when loaded, so the bench driver must not import it (bench/main.ts is one bundle).
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';
