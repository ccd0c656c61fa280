/**
 * Test support: validate the emulator's response bodies against HubSpot's published OpenAPI specs in
 * `<repo>/spec/hubspot/`, vendored (see its README). Not part of the package (it reads files and uses dev
 * dependencies).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

/** The spec files vendored in `<repo>/spec/hubspot/`. */
export type HubSpotSpecFile =
  | 'timeline-v3.openapi.json'
  | 'timeline-2026-03.openapi.json'
  | 'oauth-v1.openapi.json';

/** Validates one value; returns the problems found, empty when valid. */
export type SpecValidator = (value: unknown) => readonly string[];

/** `<repo>/spec/hubspot`: inside the repository, so a fresh clone has it. */
const specDir = path.resolve(import.meta.dirname, '../../../../spec/hubspot');

// ajv-formats is CommonJS with `export default`; depending on the loader the default import is the plugin
// itself or its module object.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const loaded = new Set<string>();

/**
 * A validator for one component schema of a spec file, e.g. `Error` or `BatchResponseTimelineEventResponse`.
 *
 * @param file - The spec file.
 * @param schema - The component schema name.
 */
export function schemaValidator(file: HubSpotSpecFile, schema: string): SpecValidator {
  const id = `https://hubline.test/${file}`;
  if (!loaded.has(id)) {
    const spec = JSON.parse(readFileSync(path.join(specDir, file), 'utf8')) as { components: unknown };
    // OpenAPI keywords such as `example` are not JSON Schema; strict mode would refuse them.
    ajv.addSchema({ $id: id, components: (spec as { components: unknown }).components });
    loaded.add(id);
  }
  const validate = ajv.getSchema(`${id}#/components/schemas/${schema}`);
  if (validate === undefined) throw new Error(`${file}: no schema ${schema}`);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(describe));
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}
