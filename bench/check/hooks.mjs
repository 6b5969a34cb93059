// Node module customization hooks: the k6 module names resolve to the stand-ins in ./k6/, and the
// scripts under bench/ load as ES modules although no package.json there says so (k6 needs none).
/** @type {Record<string, string>} */
const STAND_INS = {
  k6: './k6/k6.js',
  'k6/http': './k6/http.js',
  'k6/metrics': './k6/metrics.js',
  'k6/execution': './k6/execution.js',
};
const BENCH = new URL('../', import.meta.url).href;

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = STAND_INS[specifier];
    if (file === undefined) throw new Error(`no stand-in for ${specifier}: add one in bench/check/k6/ or drop the import`);
    return { url: new URL(file, import.meta.url).href, shortCircuit: true };
  }
  if (/^(https?:|data:)/.test(specifier)) throw new Error(`remote import ${specifier}: the scripts must run offline`);
  return nextResolve(specifier, context);
}

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (url.startsWith(BENCH) && url.endsWith('.js') && !url.includes('/node_modules/')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
