/**
 * Test support: validate request bodies against HubSpot's published OpenAPI specs, vendored in
 * `<repo>/spec/hubspot/` (see its README). Not part of the package (it reads files and uses dev dependencies).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

/** The spec files vendored in `<repo>/spec/hubspot/`. */
export type HubSpotSpecFile = 'timeline-v3.openapi.json' | 'timeline-2026-03.openapi.json';

/** Validates one value; returns the problems found, empty when valid. */
export type SpecValidator = (value: unknown) => readonly string[];

interface OpenApiSpec {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
}

/** `<repo>/spec/hubspot`: inside the repository, so a fresh clone has it. */
const SPEC_DIR = path.resolve(import.meta.dirname, '../../../../spec/hubspot');

// ajv-formats is CommonJS with `export default`; depending on the loader the default import is the plugin
// itself or its module object.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

/**
 * Read one of HubSpot's spec files.
 *
 * @param file - The spec file name.
 */
export function readSpec(file: HubSpotSpecFile): OpenApiSpec {
  return JSON.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as OpenApiSpec;
}

/** Options of {@link requestBodyValidator}. */
export interface RequestBodyValidatorOptions {
  /**
   * Refuse properties the spec does not list on these component schemas (the spec itself leaves objects open,
   * which would let a misspelt or misplaced field through unnoticed).
   * @default []
   */
  readonly closedSchemas?: readonly string[];
}

/**
 * A validator for the JSON request body of `POST <apiPath>` as the spec declares it. The spec's components are
 * added to ajv as one schema with an `$id`, so `#/components/schemas/…` references resolve.
 *
 * @param file - The spec file.
 * @param apiPath - The operation path, e.g. `/integrators/timeline/v3/events/batch/create`.
 * @param options - Which schemas to close.
 * @throws when the spec has no JSON request body for that path.
 */
export function requestBodyValidator(
  file: HubSpotSpecFile,
  apiPath: string,
  options: RequestBodyValidatorOptions = {},
): SpecValidator {
  const spec = readSpec(file);
  const ref = spec.paths[apiPath]?.post?.requestBody?.content?.['application/json']?.schema?.$ref;
  if (ref === undefined) throw new Error(`${file} has no JSON request body for POST ${apiPath}`);
  const schemas = structuredClone(spec.components.schemas);
  for (const name of options.closedSchemas ?? []) {
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`${file} has no schema ${name}`);
    schema.additionalProperties = false;
  }
  // OpenAPI keywords such as `example` are not JSON Schema; strict mode would refuse them.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const id = `https://hubline.test/${file}`;
  ajv.addSchema({ $id: id, components: { schemas } });
  const validate = ajv.getSchema(`${id}${ref}`);
  if (validate === undefined) throw new Error(`${file}: cannot resolve ${ref}`);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(describe));
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}
