// OData v4 CSDL XML ($metadata, and a contract's download) for a set of entity sets. Mendix consumes a service when each
// entity has a non-null key and the capabilities are declared (shared API facts §1.6): Countable, Filterable with
// NonFilterableProperties (seed §8.5), Sortable with NonSortableProperties (seed §8.7), and Insertable, Updatable and
// Deletable false because Data Hub is read-only (seed §8.1).
import type { EntitySetDef } from './service';

const CAPABILITIES = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml';
const CORE = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The namespace of a service's types: `MindSphere.` + the application name. */
export function namespaceOf(applicationName: string): string {
  return `MindSphere.${applicationName}`;
}

function record(term: string, values: readonly string[]): string {
  return `        <Annotation Term="Capabilities.${term}">\n          <Record>\n${values.map((v) => `            ${v}\n`).join('')}` +
    '          </Record>\n        </Annotation>\n';
}

const bool = (property: string, value: boolean) => `<PropertyValue Property="${property}" Bool="${value}"/>`;

function paths(property: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return [`<PropertyValue Property="${property}"><Collection>${names.map((n) => `<PropertyPath>${escape(n)}</PropertyPath>`).join('')}</Collection></PropertyValue>`];
}

function entityType(set: EntitySetDef): string {
  const keys = set.keys.map((k) => `<PropertyRef Name="${escape(k)}"/>`).join('');
  const properties = set.properties.map((p) =>
    `        <Property Name="${escape(p.name)}" Type="${p.type}" Nullable="${p.nullable}"/>\n`).join('');
  return `      <EntityType Name="${escape(set.name)}">\n        <Key>${keys}</Key>\n${properties}      </EntityType>\n`;
}

function entitySet(namespace: string, set: EntitySetDef): string {
  const nonFilterable = set.properties.filter((p) => !p.filterable).map((p) => p.name);
  const nonSortable = set.properties.filter((p) => !p.sortable).map((p) => p.name);
  return `      <EntitySet Name="${escape(set.name)}" EntityType="${escape(namespace)}.${escape(set.name)}">\n` +
    record('CountRestrictions', [bool('Countable', true)]) +
    record('FilterRestrictions', [bool('Filterable', true), ...paths('NonFilterableProperties', nonFilterable)]) +
    record('SortRestrictions', [bool('Sortable', true), ...paths('NonSortableProperties', nonSortable)]) +
    record('InsertRestrictions', [bool('Insertable', false)]) +
    record('UpdateRestrictions', [bool('Updatable', false)]) +
    record('DeleteRestrictions', [bool('Deletable', false)]) +
    '      </EntitySet>\n';
}

/** The CSDL XML document of a service (or of one contract) with these entity sets. */
export function csdl(applicationName: string, sets: readonly EntitySetDef[], description: string): string {
  const ns = namespaceOf(applicationName);
  return '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n' +
    `  <edmx:Reference Uri="${CAPABILITIES}">\n    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities"/>\n  </edmx:Reference>\n` +
    `  <edmx:Reference Uri="${CORE}">\n    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>\n  </edmx:Reference>\n` +
    '  <edmx:DataServices>\n' +
    `    <Schema Namespace="${escape(ns)}" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n` +
    sets.map(entityType).join('') +
    `      <EntityContainer Name="${escape(applicationName)}">\n` +
    `        <Annotation Term="Core.Description" String="${escape(description)}"/>\n` +
    sets.map((s) => entitySet(ns, s)).join('') +
    '      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n';
}
