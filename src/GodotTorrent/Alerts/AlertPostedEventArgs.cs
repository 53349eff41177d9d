namespace GodotTorrent.Alerts;

/// <summary>Carries one alert to <see cref="AlertManager.AlertPosted"/> handlers.</summary>
public sealed class AlertPostedEventArgs(Alert alert) : EventArgs
{
    /// <summary>The alert.</summary>
    public Alert Alert { get; } = alert;
}
