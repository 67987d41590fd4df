import { filesUnder, jsonFile, yamlFile } from './ops-files';

export interface Query {
  /** Where the query lives, for failure messages. */
  where: string;
  expr: string;
}

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: Array<{ name: string; rules: AlertRule[] }>;
}

export const DASHBOARD_FILES = filesUnder('grafana/dashboards', ['.json']);
export const ALERT_FILES = filesUnder('grafana/alerts', ['.yml', '.yaml']);

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

export function dashboardQueries(): Query[] {
  return DASHBOARD_FILES.flatMap((file) =>
    panelsOf(jsonFile<{ panels: Panel[] }>(file).panels).flatMap((panel) =>
      (panel.targets ?? []).filter((target) => target.expr).map((target) => ({ where: `${file}: ${panel.title ?? '(untitled)'}`, expr: target.expr! })),
    ),
  );
}

export function alertRules(): Array<{ file: string; rule: AlertRule }> {
  return ALERT_FILES.flatMap((file) => yamlFile<RuleFile>(file).groups.flatMap((group) => group.rules.map((rule) => ({ file, rule }))));
}

export function alertQueries(): Query[] {
  return alertRules().map(({ file, rule }) => ({ where: `${file}: ${rule.alert ?? rule.record}`, expr: rule.expr }));
}
