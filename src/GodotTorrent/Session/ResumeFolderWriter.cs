using GodotTorrent.Alerts;
using GodotTorrent.Storage;
using GodotTorrent.Torrent;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>The session's resume folder (<see cref="TorrentSessionOptions.ResumeDataFolder"/>): one file per torrent.</summary>
internal static class ResumeFolderWriter
{
    /// <summary>
    /// Writes the resume data of every torrent (or of those that changed since they were last
    /// written) to the resume folder as <c>&lt;info-hash&gt;.resume</c>. Never throws: a failure
    /// is reported with a <see cref="SaveResumeDataFailedAlert"/>. Engine loop only.
    /// </summary>
    public static async Task SaveAsync(IReadOnlyList<TorrentRuntime> torrents, string folder, bool onlyChanged, AlertManager alerts, ILogger logger, TimeProvider time, TimeSpan deadline)
    {
        foreach (var torrent in torrents)
        {
            if (!torrent.CanSaveResumeData || (onlyChanged && !torrent.ResumeDataChanged))
            {
                continue;
            }

            try
            {
                var resume = await torrent.SaveResumeDataAsync().WaitAsync(deadline, time).ConfigureAwait(true);
                var path = Path.Combine(folder, torrent.InfoHashes.Primary.ToHex() + ".resume");
                await ResumeDataStore.SaveAsync(path, resume).WaitAsync(deadline, time).ConfigureAwait(true);
                torrent.MarkResumeDataSaved();
                alerts.Post(new SaveResumeDataAlert(torrent.Handle, resume));
            }
#pragma warning disable CA1031 // Saving resume data must never take the session (or its shutdown) down.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "Saving resume data of {Torrent} failed", torrent.Name);
                alerts.Post(new SaveResumeDataFailedAlert(torrent.Handle, e is TorrentException t ? t.ErrorCode : ErrorCode.StorageIo, e.Message));
            }
        }
    }
}
