/**
 * The part of CloudFormation's template language the local deploy evaluates itself: for the
 * resources moto's CloudFormation lacks, whose properties must be resolved before (or after)
 * moto creates the rest of the stack.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Resolves references; returns undefined for what it cannot resolve (the caller decides). */
export interface ReferenceResolver {
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): string | undefined;
}

/** Marks a property that `AWS::NoValue` removed. */
const NO_VALUE = Symbol('AWS::NoValue');

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of an intrinsic function object (`Ref`, `Fn::Join`, ...), or undefined. */
export function intrinsicName(value: Json): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition') ? keys[0] : undefined;
}

export function getAttParts(arg: Json): [string, string] {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  if (Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string') return [arg[0], arg[1]];
  throw new Error(`malformed Fn::GetAtt ${JSON.stringify(arg)}: expected [logicalId, attribute]`);
}

/** `${Name}` and `${Name.Attr}` references of a Fn::Sub string (literal `${!...}` skipped). */
export function subReferences(template: string): string[] {
  const refs: string[] = [];
  for (const m of template.matchAll(/\$\{([^!}][^}]*)\}/g)) refs.push(m[1].trim());
  return refs;
}

/** Logical ids a value refers to through Ref, Fn::GetAtt and Fn::Sub. */
export function referencedIds(value: Json, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, into));
  } else if (isObject(value)) {
    const fn = intrinsicName(value);
    if (fn === 'Ref' && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
      into.add(value.Ref);
    } else if (fn === 'Fn::GetAtt') {
      into.add(getAttParts(value['Fn::GetAtt'])[0]);
    } else if (fn === 'Fn::Sub') {
      const arg = value['Fn::Sub'];
      const text = Array.isArray(arg) ? arg[0] : arg;
      const vars = Array.isArray(arg) && isObject(arg[1]) ? arg[1] : {};
      if (typeof text === 'string') {
        for (const r of subReferences(text)) {
          const id = r.split('.')[0];
          if (!id.startsWith('AWS::') && !(id in vars)) into.add(id);
        }
      }
      referencedIds(vars, into);
    } else {
      Object.values(value).forEach((v) => referencedIds(v, into));
    }
  }
  return into;
}

/**
 * Evaluates intrinsic functions. Pseudo parameters come from `pseudo`; template parameters and
 * resources from the resolver. Throws with the path of an expression it cannot evaluate.
 */
export function evaluate(value: Json, resolver: ReferenceResolver, pseudo: Record<string, string>, path = ''): Json {
  const result = evaluateInner(value, resolver, pseudo, path);
  return result === NO_VALUE ? null : (result as Json);
}

function evaluateInner(value: Json, resolver: ReferenceResolver, pseudo: Record<string, string>, path: string): Json | typeof NO_VALUE {
  if (Array.isArray(value)) {
    return value.map((v, i) => evaluateInner(v, resolver, pseudo, `${path}[${i}]`)).filter((v) => v !== NO_VALUE) as Json[];
  }
  if (!isObject(value)) return value;
  const fn = intrinsicName(value);
  const arg = fn ? value[fn] : undefined;
  const sub = (v: Json, p: string) => evaluate(v, resolver, pseudo, `${path}.${p}`);
  const fail = (why: string): never => {
    throw new Error(`cannot evaluate ${fn} at ${path || '<root>'}: ${why}`);
  };
  switch (fn) {
    case 'Ref': {
      if (arg === 'AWS::NoValue') return NO_VALUE;
      const name = String(arg);
      const resolved = name in pseudo ? pseudo[name] : resolver.ref(name);
      return resolved ?? fail(`unknown reference '${name}'`);
    }
    case 'Fn::GetAtt': {
      const [id, attr] = getAttParts(arg!);
      return resolver.getAtt(id, attr) ?? fail(`unknown attribute ${id}.${attr}`);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return fail('expected [delimiter, [values]]');
      const list = sub(arg[1], 'Fn::Join');
      if (!Array.isArray(list)) return fail('expected a list of values');
      return list.map(String).join(arg[0]);
    }
    case 'Fn::Sub': {
      const text = Array.isArray(arg) ? arg[0] : arg;
      const vars = Array.isArray(arg) && isObject(arg[1]) ? (sub(arg[1], 'Fn::Sub') as JsonObject) : {};
      if (typeof text !== 'string') return fail('expected a string');
      return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
        if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
        const name = inner.trim();
        if (name in vars) return String(vars[name]);
        if (name in pseudo) return pseudo[name];
        const dot = name.indexOf('.');
        const resolved = dot > 0 ? resolver.getAtt(name.slice(0, dot), name.slice(dot + 1)) : resolver.ref(name);
        return resolved ?? fail(`unknown reference '${whole}'`);
      });
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg)) return fail('expected [index, list]');
      const list = sub(arg[1], 'Fn::Select');
      const index = Number(sub(arg[0], 'Fn::Select'));
      if (!Array.isArray(list) || !(index in list)) return fail(`index ${index} out of range`);
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return fail('expected [delimiter, string]');
      return String(sub(arg[1], 'Fn::Split')).split(arg[0]);
    }
    case 'Fn::Base64':
      return Buffer.from(String(sub(arg!, 'Fn::Base64'))).toString('base64');
    case undefined: {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const r = evaluateInner(v, resolver, pseudo, `${path}.${k}`);
        if (r !== NO_VALUE) out[k] = r;
      }
      return out;
    }
    default:
      return fail('not supported by the local deploy');
  }
}

/**
 * Replaces, everywhere in `value`, the references to the given logical ids by the literal values
 * the resolver gives (resources that moto's CloudFormation does not create). References to
 * other ids are left for CloudFormation.
 */
export function substitute(value: Json, ids: ReadonlySet<string>, resolver: ReferenceResolver): Json {
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids, resolver));
  if (!isObject(value)) return value;
  const fn = intrinsicName(value);
  const literal = (id: string, attr?: string): string => {
    const resolved = attr ? resolver.getAtt(id, attr) : resolver.ref(id);
    if (resolved === undefined) throw new Error(`no local value for ${attr ? `${id}.${attr}` : id}`);
    return resolved;
  };
  if (fn === 'Ref' && typeof value.Ref === 'string' && ids.has(value.Ref)) return literal(value.Ref);
  if (fn === 'Fn::GetAtt') {
    const [id, attr] = getAttParts(value['Fn::GetAtt']);
    if (ids.has(id)) return literal(id, attr);
  }
  if (fn === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    const text = Array.isArray(arg) ? arg[0] : arg;
    if (typeof text === 'string') {
      const replaced = text.replace(/\$\{([^!}][^}]*)\}/g, (whole, inner: string) => {
        const [id, attr] = inner.trim().split(/\.(.*)/s);
        return ids.has(id) ? literal(id, attr || undefined) : whole;
      });
      const vars = Array.isArray(arg) ? substitute(arg[1], ids, resolver) : undefined;
      return { 'Fn::Sub': vars === undefined ? replaced : [replaced, vars] };
    }
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = substitute(v, ids, resolver);
  return out;
}
