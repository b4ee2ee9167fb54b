/** Folder parameters shared by FindFolders and FindFoldersForMultiplePatients (ITI TF-2a §3.18.4.1.2.3.7.3). */
import type { FolderFilter } from '../../storage/ports.js';
import type { ParamSpecs, QueryParams } from './params.js';

export const F = {
  patientId: '$XDSFolderPatientId',
  lastUpdateTimeFrom: '$XDSFolderLastUpdateTimeFrom',
  lastUpdateTimeTo: '$XDSFolderLastUpdateTimeTo',
  codeList: '$XDSFolderCodeList',
  status: '$XDSFolderStatus',
  entryUuid: '$XDSFolderEntryUUID',
  uniqueId: '$XDSFolderUniqueId',
  logicalId: '$XDSFolderLogicalID',
} as const;

export const folderSearchSpecs: ParamSpecs = {
  [F.lastUpdateTimeFrom]: { kind: 'time' },
  [F.lastUpdateTimeTo]: { kind: 'time' },
  [F.codeList]: { kind: 'code', multiple: true, andOr: true },
  [F.status]: { kind: 'string', required: true, multiple: true },
  $MetadataLevel: { kind: 'integer' },
  $homeCommunityId: { kind: 'string' },
};

export function compileFolderSearch(params: QueryParams): FolderFilter {
  const f: FolderFilter = { statuses: params.statuses(F.status), allVersions: params.metadataLevel() === 2 };
  const lastUpdate = params.timeRange(F.lastUpdateTimeFrom, F.lastUpdateTimeTo);
  const codeList = params.codes(F.codeList);
  if (lastUpdate) f.lastUpdateTime = lastUpdate;
  if (codeList) f.codeList = codeList;
  return f;
}
