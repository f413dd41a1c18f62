import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EXTRACT_COLUMNS,
  OPTIONAL_FILES,
  type ExtractFileName,
  type ExtractFiles,
} from '../../src/app/import/extract.js';

type Row = Record<string, string>;

/**
 * Builds a council extract row by row for tests: `anExtract().withChild(...)`. Starts with one
 * IRO, one social worker and one manager.
 */
export class ExtractBuilder {
  private readonly rows: Record<ExtractFileName, Row[]> = {
    'Header.csv': [],
    'Episodes.csv': [],
    'Reviews.csv': [],
    'Staff.csv': [
      {
        EMAIL: 'manager@example.com',
        NAME: 'Team Manager',
        ROLE: 'team_manager',
        AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000001',
        TEAM: 'IRO Service',
        FTE: '1',
      },
      {
        EMAIL: 'iro@example.com',
        NAME: 'An IRO',
        ROLE: 'iro',
        AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000002',
        TEAM: 'IRO Service',
        MANAGER_EMAIL: 'manager@example.com',
        FTE: '1',
      },
      {
        EMAIL: 'sw@example.com',
        NAME: 'A Social Worker',
        ROLE: 'social_worker',
        AAD_OBJECT_ID: '11111111-0000-4000-8000-000000000003',
        TEAM: 'CiC 1',
        MANAGER_EMAIL: 'manager@example.com',
        FTE: '1',
      },
    ],
    'Allocations.csv': [],
    'SWEpisodes.csv': [],
    'LastReviews.csv': [],
  };

  /** A child with one open episode from `decom` (dd/mm/yyyy) and the given held reviews. */
  withChild(
    child: string,
    dob: string,
    decom: string,
    reviews: [date: string, code: string][] = [],
    allocation: { iro?: string; sw?: string; first?: string; last?: string } = {},
  ): this {
    this.rows['Header.csv'].push({ CHILD: child, SEX: 'M', DOB: dob, ETHNIC: 'WBRI' });
    this.rows['Episodes.csv'].push({
      CHILD: child,
      DECOM: decom,
      RNE: 'S',
      LS: 'C2',
      CIN: 'N1',
      PLACE: 'U1',
      PLACE_PROVIDER: 'PR1',
    });
    for (const [date, code] of reviews)
      this.rows['Reviews.csv'].push({ CHILD: child, DOB: dob, REVIEW: date, REVIEW_CODE: code });
    this.rows['Allocations.csv'].push({
      CHILD: child,
      IRO_EMAIL: allocation.iro ?? 'iro@example.com',
      SW_EMAIL: allocation.sw ?? 'sw@example.com',
      FIRST_NAME: allocation.first ?? 'Sam',
      LAST_NAME: allocation.last ?? 'Jones',
    });
    return this;
  }

  row(file: ExtractFileName, row: Row): this {
    this.rows[file].push(row);
    return this;
  }

  /** Changes rows of a file that match `where`. */
  update(file: ExtractFileName, where: Row, set: Row): this {
    for (const r of this.rows[file]) {
      if (Object.entries(where).every(([k, v]) => r[k] === v)) Object.assign(r, set);
    }
    return this;
  }

  private readonly left: Partial<Record<ExtractFileName, string[]>> = {};

  /** Leaves a column out of a file's header and rows, as a file written before it existed. */
  withoutColumn(file: ExtractFileName, column: string): this {
    this.left[file] = [...(this.left[file] ?? []), column];
    return this;
  }

  /** The files as a council would send them: optional files only when they have rows. */
  files(): ExtractFiles {
    const out = {} as Record<ExtractFileName, string>;
    for (const [file, all] of Object.entries(EXTRACT_COLUMNS) as [ExtractFileName, string[]][]) {
      if (OPTIONAL_FILES.includes(file) && this.rows[file].length === 0) continue;
      const columns = all.filter((c) => !(this.left[file] ?? []).includes(c));
      const lines = [
        columns.join(','),
        ...this.rows[file].map((r) => columns.map((c) => r[c] ?? '').join(',')),
      ];
      out[file] = `${lines.join('\n')}\n`;
    }
    return out;
  }
}

export function anExtract(): ExtractBuilder {
  return new ExtractBuilder();
}

/** Writes extract files to a new temporary folder and returns its path. */
export async function writeExtract(files: ExtractFiles, dir?: string): Promise<string> {
  const folder = dir ?? (await mkdtemp(path.join(tmpdir(), 'iro-extract-')));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  return folder;
}
