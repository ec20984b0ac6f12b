// The seeded plant: the aspect types, asset types and assets of a fresh sandbox tenant, a pure function of the seed and
// the asset count. Sites hold areas, areas hold pumps, CNG and LPG turbines (LPGTurbine derives from CNGTurbine) and
// motors, whose dynamic aspects (PowerConsumption as `PrimaryMotor`, Vibration, Flow) carry generated time series.
import { type Asset, type AspectType, type AssetType, AssetModel, type DataType, type VariableDefinition } from './model';
import { Random, hashString } from './rng';

/**
 * How a generated variable follows the machine's load (0..1): value = (base + gain × load) × (scaled ? rated power : 1)
 * plus noise; booleans are `load > base`; strings pick a mode per hour.
 */
export interface SignalProfile {
  readonly base: number;
  readonly gain: number;
  readonly noise: number;
  readonly decimals: number;
  readonly scaled: boolean;
}

interface CatalogVariable {
  name: string;
  dataType: DataType;
  unit: string;
  qualityCode?: boolean;
  signal?: SignalProfile;
}

const signal = (base: number, gain: number, noise: number, decimals = 2, scaled = false): SignalProfile => ({
  base, gain, noise, decimals, scaled,
});

/** The aspect types of the plant, by name (ids are `{tenant}.{name}`). */
const ASPECT_CATALOG: Record<string, { category: 'static' | 'dynamic'; description: string; variables: CatalogVariable[] }> = {
  PowerConsumption: {
    category: 'dynamic',
    description: 'Electrical power drawn by a drive.',
    variables: [
      { name: 'Power', dataType: 'DOUBLE', unit: 'kW', signal: signal(0.05, 0.95, 0.4, 2, true) },
      { name: 'Current', dataType: 'DOUBLE', unit: 'A', signal: signal(0.08, 1.52, 0.6, 2, true) },
      { name: 'Voltage', dataType: 'DOUBLE', unit: 'V', signal: signal(401, -4, 1.2, 1) },
    ],
  },
  Vibration: {
    category: 'dynamic',
    description: 'Bearing vibration and temperature, with OPC UA quality codes.',
    variables: [
      { name: 'Velocity', dataType: 'DOUBLE', unit: 'mm/s', qualityCode: true, signal: signal(0.8, 2.4, 0.25, 3) },
      { name: 'Acceleration', dataType: 'DOUBLE', unit: 'm/s2', qualityCode: true, signal: signal(0.3, 0.9, 0.1, 3) },
      { name: 'Temperature', dataType: 'DOUBLE', unit: 'degC', qualityCode: true, signal: signal(32, 28, 0.4, 1) },
    ],
  },
  Flow: {
    category: 'dynamic',
    description: 'Flow and pressure of a medium.',
    variables: [
      { name: 'FlowRate', dataType: 'DOUBLE', unit: 'm3/h', qualityCode: true, signal: signal(0, 2.2, 1.5, 2, true) },
      { name: 'Pressure', dataType: 'DOUBLE', unit: 'bar', qualityCode: true, signal: signal(3, 4, 0.08, 3) },
      { name: 'Running', dataType: 'BOOLEAN', unit: '', signal: signal(0.25, 0, 0, 0) },
      { name: 'Mode', dataType: 'STRING', unit: '', signal: signal(0.05, 0, 0, 0) },
    ],
  },
  Nameplate: {
    category: 'static',
    description: 'Rated data from the nameplate.',
    variables: [
      { name: 'Manufacturer', dataType: 'STRING', unit: '' },
      { name: 'SerialNumber', dataType: 'STRING', unit: '' },
      { name: 'RatedPower', dataType: 'DOUBLE', unit: 'kW' },
    ],
  },
};

interface EquipmentKind {
  type: string;
  description: string;
  parent: string;
  aspects: [name: string, aspectType: string][];
  label: string;
  prefix: string;
  ratedPower: [number, number];
  manufacturers: string[];
}

const EQUIPMENT: EquipmentKind[] = [
  { type: 'Pump', description: 'Centrifugal pump with its drive.', parent: 'core.basicasset', label: 'Pump', prefix: 'P',
    aspects: [['Flow', 'Flow'], ['PrimaryMotor', 'PowerConsumption'], ['Vibration', 'Vibration'], ['Nameplate', 'Nameplate']],
    ratedPower: [30, 90], manufacturers: ['KSB', 'Grundfos', 'Sulzer', 'Flowserve'] },
  { type: 'Motor', description: 'Electric motor.', parent: 'core.basicasset', label: 'Motor', prefix: 'M',
    aspects: [['PowerConsumption', 'PowerConsumption'], ['Vibration', 'Vibration'], ['Nameplate', 'Nameplate']],
    ratedPower: [5, 30], manufacturers: ['Siemens', 'ABB', 'WEG', 'Nord'] },
  { type: 'CNGTurbine', description: 'Gas turbine burning compressed natural gas.', parent: 'core.basicasset',
    label: 'CNG Turbine', prefix: 'T',
    aspects: [['PrimaryMotor', 'PowerConsumption'], ['Vibration', 'Vibration'], ['Nameplate', 'Nameplate']],
    ratedPower: [500, 1500], manufacturers: ['Siemens Energy', 'Capstone', 'Solar Turbines'] },
  // Derives from CNGTurbine (seed §8.2's example): inherits its aspects and adds the gas supply.
  { type: 'LPGTurbine', description: 'Gas turbine burning liquefied petroleum gas.', parent: 'CNGTurbine',
    label: 'LPG Turbine', prefix: 'L', aspects: [['GasSupply', 'Flow']],
    ratedPower: [400, 1200], manufacturers: ['Siemens Energy', 'Capstone'] },
];

/** The names of the seed plant's equipment types (`{tenant}.{name}`), sorted: what the seeded Plant contract publishes. */
export const EQUIPMENT_TYPES: readonly string[] = EQUIPMENT.map((e) => e.type).sort();

const SITES: [city: string, country: string, timezone: string, latitude: number, longitude: number][] = [
  ['Nuremberg', 'Germany', 'Europe/Berlin', 49.4521, 11.0767],
  ['Karlsruhe', 'Germany', 'Europe/Berlin', 49.0069, 8.4037],
  ['Chemnitz', 'Germany', 'Europe/Berlin', 50.8278, 12.9214],
  ['Amberg', 'Germany', 'Europe/Berlin', 49.4448, 11.8583],
  ['Linz', 'Austria', 'Europe/Vienna', 48.3069, 14.2858],
  ['Zug', 'Switzerland', 'Europe/Zurich', 47.1662, 8.5155],
  ['Rotterdam', 'Netherlands', 'Europe/Amsterdam', 51.9244, 4.4777],
  ['Houston', 'United States', 'America/Chicago', 29.7604, -95.3698],
];

const AREAS = ['Pump House', 'Turbine Hall', 'Utilities', 'Compressor Station', 'Water Treatment', 'Boiler House'];

/** Sites and assets per area, chosen so the default plant reads like a plant and 10,000 assets stay browsable. */
const ASSETS_PER_SITE = 20;
const MAX_SITES = 50;
const EQUIPMENT_PER_AREA = 12;

export interface Plant {
  model: AssetModel;
  /** Signal profile of each generated variable, by aspect type id and variable name. */
  signals: Map<string, SignalProfile>;
  /** Rated power per generated asset: the scale of its scaled signals. */
  ratedPower: Map<string, number>;
}

export const signalKey = (aspectTypeId: string, variable: string) => `${aspectTypeId}/${variable}`;

export function buildPlant(seed: string, tenant: string, assetCount: number): Plant {
  const random = new Random(hashString(`${seed}:plant`));
  const ids = new Random(hashString(`${seed}:ids`));
  const signals = new Map<string, SignalProfile>();
  const ratedPower = new Map<string, number>();
  const rootId = ids.hex32();
  const model = new AssetModel(tenant, rootId);

  for (const [name, spec] of Object.entries(ASPECT_CATALOG)) {
    const id = `${tenant}.${name}`;
    const aspectType: AspectType = {
      id, name, category: spec.category, scope: 'private', description: spec.description, tenantId: tenant, etag: 0,
      variables: spec.variables.map((v) => variable(v.name, v.dataType, v.unit, spec.category === 'dynamic' ? v.qualityCode ?? false : undefined)),
    };
    model.aspectTypes.set(id, aspectType);
    for (const v of spec.variables) if (v.signal) signals.set(signalKey(id, v.name), v.signal);
  }

  const coreType = (id: string, name: string, parentTypeId: string | null, instantiable: boolean): AssetType => ({
    id, name, description: `Core type ${name}.`, parentTypeId, instantiable, scope: 'public', tenantId: 'core', etag: 0,
    aspects: [], variables: [],
  });
  for (const t of [
    coreType('core.basicasset', 'BasicAsset', null, true),
    coreType('core.basicenterprise', 'BasicEnterprise', 'core.basicasset', false),
    coreType('core.basicsite', 'BasicSite', 'core.basicasset', true),
    coreType('core.basicarea', 'BasicArea', 'core.basicasset', true),
  ]) model.assetTypes.set(t.id, t);
  for (const kind of EQUIPMENT) {
    const id = `${tenant}.${kind.type}`;
    model.assetTypes.set(id, {
      id, name: kind.type, description: kind.description,
      parentTypeId: kind.parent.startsWith('core.') ? kind.parent : `${tenant}.${kind.parent}`,
      instantiable: true, scope: 'private', tenantId: tenant, etag: 0,
      aspects: kind.aspects.map(([name, aspectType]) => ({ name, aspectTypeId: `${tenant}.${aspectType}` })),
      variables: kind.parent === 'core.basicasset' ? [variable('CommissioningYear', 'INT', '')] : [],
    });
  }

  const add = (asset: Omit<Asset, 'tenantId' | 'etag' | 'deleted' | 'externalId' | 'twinType' | 'variables' | 'aspects'> &
    Partial<Asset>): Asset => {
    const full: Asset = {
      tenantId: tenant, etag: 0, deleted: null, externalId: '', twinType: 'performance', variables: [], aspects: [], ...asset,
    };
    model.assets.set(full.assetId, full);
    return full;
  };
  add({ assetId: rootId, name: tenant, description: `Root asset of tenant ${tenant}.`, typeId: 'core.basicenterprise',
    parentId: null, timezone: 'Europe/Berlin', location: null, generated: false });

  const budget = Math.max(0, assetCount - 1);
  const siteCount = Math.min(budget, MAX_SITES, Math.max(1, Math.ceil(budget / ASSETS_PER_SITE)));
  for (let s = 0; s < siteCount; s++) {
    const share = Math.floor(budget / siteCount) + (s < budget % siteCount ? 1 : 0);
    const place = SITES[s % SITES.length] ?? SITES[0]!;
    const [city, country, timezone, latitude, longitude] = place;
    const round = Math.floor(s / SITES.length);
    const site = add({ assetId: ids.hex32(), name: round ? `${city} Plant ${round + 1}` : `${city} Plant`,
      description: `Production site in ${city}.`, typeId: 'core.basicsite', parentId: rootId, timezone,
      location: { country, locality: city, latitude, longitude }, generated: false, externalId: `SITE-${s + 1}` });
    const rest = share - 1;
    const areaCount = rest > 0 ? Math.ceil(rest / (EQUIPMENT_PER_AREA + 1)) : 0;
    const areas: Asset[] = [];
    for (let a = 0; a < areaCount; a++) {
      const label = AREAS[a % AREAS.length] ?? 'Area';
      areas.push(add({ assetId: ids.hex32(), name: a < AREAS.length ? label : `${label} ${Math.floor(a / AREAS.length) + 1}`,
        description: `${label} of ${site.name}.`, typeId: 'core.basicarea', parentId: site.assetId, timezone,
        location: site.location, generated: false }));
    }
    const numbers = new Map<string, number>();
    for (let e = 0; e < rest - areaCount; e++) {
      const area = areas[e % areas.length]!;
      const kind = pickKind(random, area.name);
      const number = (numbers.get(kind.prefix) ?? 100) + 1;
      numbers.set(kind.prefix, number);
      const power = Math.round(random.range(kind.ratedPower[0], kind.ratedPower[1]));
      const assetId = ids.hex32();
      ratedPower.set(assetId, power);
      add({ assetId, name: `${kind.label} ${kind.prefix}-${number}`, description: `${kind.description} ${area.name}, ${site.name}.`,
        typeId: `${tenant}.${kind.type}`, parentId: area.assetId, timezone, location: site.location, generated: true,
        externalId: `${kind.prefix}-${s + 1}-${number}`,
        variables: [{ name: 'CommissioningYear', value: String(random.int(2008, 2024)) }],
        aspects: [{ name: 'Nameplate', variables: [
          { name: 'Manufacturer', value: random.pick(kind.manufacturers) },
          { name: 'SerialNumber', value: `SN-${assetId.slice(0, 10).toUpperCase()}` },
          { name: 'RatedPower', value: String(power) },
        ] }] });
    }
  }
  return { model, signals, ratedPower };
}

function pickKind(random: Random, areaName: string): EquipmentKind {
  const [pump, motor, cng, lpg] = EQUIPMENT as [EquipmentKind, EquipmentKind, EquipmentKind, EquipmentKind];
  const r = random.next();
  if (areaName.startsWith('Turbine')) return r < 0.45 ? cng : r < 0.8 ? lpg : motor;
  if (areaName.startsWith('Pump') || areaName.startsWith('Water')) return r < 0.75 ? pump : motor;
  return r < 0.4 ? pump : r < 0.7 ? motor : r < 0.85 ? cng : lpg;
}

export function variable(name: string, dataType: DataType, unit: string, qualityCode?: boolean): VariableDefinition {
  const length = dataType === 'STRING' ? 255 : dataType === 'BIG_STRING' ? 100_000 : null;
  return { name, dataType, unit, searchable: dataType === 'STRING', length, defaultValue: null,
    ...(qualityCode === undefined ? {} : { qualityCode }) };
}
