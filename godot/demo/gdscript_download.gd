extends Control
## Downloads a torrent from GDScript and shows its progress: the same code as the README.

@export_file("*.torrent") var torrent_path := "user://example.torrent"  # any .torrent: user://, res:// (editor) or absolute

var torrents: TorrentSessionNode
var bar := ProgressBar.new()
var label := Label.new()

func _ready() -> void:
	var box := VBoxContainer.new()
	box.set_anchors_preset(Control.PRESET_FULL_RECT)
	add_child(box)
	bar.max_value = 1.0
	bar.step = 0.001
	box.add_child(bar)
	box.add_child(label)

	torrents = TorrentSessionNode.new()
	torrents.Settings = TorrentSettings.new()  # the project settings' defaults; set any key by name
	torrents.Settings.download_folder = "user://downloads"
	torrents.StatusUpdated.connect(_on_status)
	torrents.TorrentFinished.connect(func(_hash, name): label.text = "Done: " + name)
	torrents.OperationFailed.connect(func(op, _code, message): label.text = op + " failed: " + message)
	add_child(torrents)
	var handle := torrents.AddTorrentFile(torrent_path)  # starts the session; a saved one resumes without re-hashing
	if handle:
		handle.Added.connect(func(): label.text = "Added " + handle.Name)

func _on_status(_info_hash: String, status: Dictionary) -> void:
	bar.value = status["progress"]
	label.text = "%s  %d KiB/s  %d peers" % [status["state"], status["download_rate"] / 1024, status["num_peers"]]
