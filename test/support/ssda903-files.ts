import { readCsvTable } from '../../src/app/import/csv-table.js';
import { parseUkDate, type LocalDate } from '../../src/domain/local-date.js';
import type {
  Ssda903Child,
  Ssda903Episode,
  Ssda903Header,
} from '../../src/domain/ssda903-rules.js';

/** A child read from 903 files, with its CHILD id and review dates. */
export interface ChildInFiles extends Ssda903Child {
  id: string;
  episodes: Ssda903Episode[];
  reviews: LocalDate[];
}

function date(text: string, where: string): LocalDate {
  const parsed = parseUkDate(text);
  if (!parsed) throw new Error(`${where}: "${text}" is not a date`);
  return parsed;
}

const value = (text: string | undefined) => (text === undefined || text === '' ? null : text);

/**
 * Reads Header.csv, Episodes.csv and Reviews.csv as they are written, without the import (which
 * may not yet accept every current 903 coding), into the typed rows the DfE rules check.
 */
export function childrenInFiles(files: {
  'Header.csv': string;
  'Episodes.csv': string;
  'Reviews.csv': string;
}): ChildInFiles[] {
  const children = new Map<string, ChildInFiles>();
  for (const { line, values: v } of readCsvTable('Header.csv', files['Header.csv']).rows) {
    const id = v['CHILD'] as string;
    const header: Ssda903Header = {
      sex: value(v['SEX']),
      dob: date(v['DOB'] as string, `Header.csv:${line}`),
      ethnic: value(v['ETHNIC']),
      upn: value(v['UPN']),
      mother: value(v['MOTHER']),
      mcDob: v['MC_DOB'] ? date(v['MC_DOB'], `Header.csv:${line}`) : null,
    };
    if (children.has(id)) throw new Error(`Header.csv:${line}: ${id} twice`);
    children.set(id, { id, header, episodes: [], reviews: [] });
  }
  const childOf = (file: string, line: number, id: string | undefined) => {
    const child = children.get(id ?? '');
    if (!child) throw new Error(`${file}:${line}: ${id} is not in Header.csv`);
    return child;
  };
  for (const { line, values: v } of readCsvTable('Episodes.csv', files['Episodes.csv']).rows) {
    const where = `Episodes.csv:${line}`;
    childOf('Episodes.csv', line, v['CHILD']).episodes.push({
      decom: date(v['DECOM'] as string, where),
      rne: value(v['RNE']),
      ls: value(v['LS']),
      cin: value(v['CIN']),
      place: value(v['PLACE']),
      placeProvider: value(v['PLACE_PROVIDER']),
      dec: v['DEC'] ? date(v['DEC'], where) : null,
      rec: value(v['REC']),
      reasonPlaceChange: value(v['REASON_PLACE_CHANGE']),
      homePost: value(v['HOME_POST']),
      plPost: value(v['PL_POST']),
      urn: value(v['URN']),
    });
  }
  for (const { line, values: v } of readCsvTable('Reviews.csv', files['Reviews.csv']).rows) {
    childOf('Reviews.csv', line, v['CHILD']).reviews.push(
      date(v['REVIEW'] as string, `Reviews.csv:${line}`),
    );
  }
  return [...children.values()];
}
