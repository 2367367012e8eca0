namespace Mnist.Models;

/// <summary>Training settings that cannot make a run (zero steps, more steps than an int holds, a batch larger
/// than the data set); the message names the setting and its value.</summary>
public sealed class SettingsException(string message) : Exception(message);
