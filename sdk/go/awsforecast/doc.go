// Amazon Forecast export jobs (forecast, predictor backtest, explainability and what-if forecast exports) as Pulumi resources.
package awsforecast
